Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"

Get-MgCommunicationCallContentSharingSession -CallId $callId
