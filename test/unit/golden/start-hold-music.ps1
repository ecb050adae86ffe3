Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"
$participantId = "a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b"

$params = @{
	customPrompt = @{
		"@odata.type" = "#microsoft.graph.mediaPrompt"
		mediaInfo = @{
			"@odata.type" = "#microsoft.graph.mediaInfo"
			uri = "https://bot.contoso.com/onHold.wav"
		}
	}
	clientContext = "d45324c1-fcb5-430a-902c-f20af696537c"
}

Start-MgCommunicationCallParticipantHoldMusic -CallId $callId -ParticipantId $participantId -BodyParameter $params
