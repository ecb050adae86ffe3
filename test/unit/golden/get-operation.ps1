Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"
$commsOperationId = "0fe0623f-d628-42ed-b4bd-8ac290072cc5"

Get-MgCommunicationCallOperation -CallId $callId -CommsOperationId $commsOperationId
