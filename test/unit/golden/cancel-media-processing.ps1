Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

$params = @{
	clientContext = "d45324c1-fcb5-430a-902c-f20af696537c"
}

Stop-MgCommunicationCallMediaProcessing -CallId $callId -BodyParameter $params
