Import-Module Microsoft.Graph.Beta.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

$params = @{
	participants = @(
		"a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b"
	)
	clientContext = "d45324c1-fcb5-430a-902c-f20af696537c"
}

Invoke-MgBetaMuteAllCommunicationCallParticipant -CallId $callId -BodyParameter $params
