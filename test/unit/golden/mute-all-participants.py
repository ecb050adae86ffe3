# Code snippets are only available for the latest version. Current version is 1.x
from msgraph_beta import GraphServiceClient
from msgraph_beta.generated.communications.calls.item.participants.mute_all.mute_all_post_request_body import MuteAllPostRequestBody
# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python
request_body = MuteAllPostRequestBody(
	participants = [
		"a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b",
	],
	client_context = "d45324c1-fcb5-430a-902c-f20af696537c",
)

result = await graph_client.communications.calls.by_call_id('57dab8b1-894c-409a-b240-bd8beae78896').participants.mute_all.post(request_body)
