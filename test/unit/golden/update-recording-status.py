# Code snippets are only available for the latest version. Current version is 1.x
from msgraph import GraphServiceClient
from msgraph.generated.communications.calls.item.update_recording_status.update_recording_status_post_request_body import UpdateRecordingStatusPostRequestBody
from msgraph.generated.models.recording_status import RecordingStatus
# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python
request_body = UpdateRecordingStatusPostRequestBody(
	client_context = "d45324c1-fcb5-430a-902c-f20af696537c",
	status = RecordingStatus.Recording,
)

result = await graph_client.communications.calls.by_call_id('57dab8b1-894c-409a-b240-bd8beae78896').update_recording_status.post(request_body)
