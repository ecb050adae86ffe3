Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

$params = @{
	participants = @(
		@{
			"@odata.type" = "#microsoft.graph.invitationParticipantInfo"
			identity = @{
				"@odata.type" = "#microsoft.graph.identitySet"
				user = @{
					"@odata.type" = "#microsoft.graph.identity"
					displayName = "Adele Vance"
					id = "8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60"
				}
			}
		}
	)
	clientContext = "d45324c1-fcb5-430a-902c-f20af696537c"
}

Invoke-MgInviteCommunicationCallParticipant -CallId $callId -BodyParameter $params
