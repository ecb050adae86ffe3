Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

$params = @{
	callbackUri = "https://bot.contoso.com/callback"
	mediaConfig = @{
		"@odata.type" = "#microsoft.graph.serviceHostedMediaConfig"
	}
	acceptedModalities = @(
		"audio"
	)
}

Invoke-MgAnswerCommunicationCall -CallId $callId -BodyParameter $params
