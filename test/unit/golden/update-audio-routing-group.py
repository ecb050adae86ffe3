# Code snippets are only available for the latest version. Current version is 1.x
from msgraph import GraphServiceClient
from msgraph.generated.models.audio_routing_group import AudioRoutingGroup
from msgraph.generated.models.routing_mode import RoutingMode
# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python
request_body = AudioRoutingGroup(
	id = "oneToOne",
	routing_mode = RoutingMode.OneToOne,
	sources = [
		"a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b",
	],
	receivers = [
		"550fae72-d251-43ec-868c-373732c2704f",
		"72f988bf-86f1-41af-91ab-2d7cd011db47",
	],
)

result = await graph_client.communications.calls.by_call_id('57dab8b1-894c-409a-b240-bd8beae78896').audio_routing_groups.by_audio_routing_group_id('oneToOne').patch(request_body)
