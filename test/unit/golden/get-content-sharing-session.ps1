Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"
$contentSharingSessionId = "6b1e6b79-3a8b-4a2d-8d0b-9b4c2f6e1d11"

Get-MgCommunicationCallContentSharingSession -CallId $callId -ContentSharingSessionId $contentSharingSessionId
