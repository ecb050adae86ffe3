Import-Module Microsoft.Graph.CloudCommunications

$callId = "57dab8b1-894c-409a-b240-bd8beae78896"
$audioRoutingGroupId = "oneToOne"

$params = @{
	id = "oneToOne"
	routingMode = "oneToOne"
	sources = @(
		"a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b"
	)
	receivers = @(
		"550fae72-d251-43ec-868c-373732c2704f"
		"72f988bf-86f1-41af-91ab-2d7cd011db47"
	)
}

Update-MgCommunicationCallAudioRoutingGroup -CallId $callId -AudioRoutingGroupId $audioRoutingGroupId -BodyParameter $params
