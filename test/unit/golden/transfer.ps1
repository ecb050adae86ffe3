Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

$params = @{
	transferTarget = @{
		endpointType = "default"
		identity = @{
			"@odata.type" = "#microsoft.graph.identitySet"
			user = @{
				"@odata.type" = "#microsoft.graph.identity"
				displayName = "Heidi Steen"
				id = "8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60"
			}
		}
	}
	clientContext = "d45324c1-fcb5-430a-902c-f20af696537c"
}

Move-MgCommunicationCall -CallId $callId -BodyParameter $params
