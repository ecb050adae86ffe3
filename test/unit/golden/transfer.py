# Code snippets are only available for the latest version. Current version is 1.x
from msgraph import GraphServiceClient
from msgraph.generated.communications.calls.item.transfer.transfer_post_request_body import TransferPostRequestBody
from msgraph.generated.models.identity import Identity
from msgraph.generated.models.identity_set import IdentitySet
from msgraph.generated.models.invitation_participant_info import InvitationParticipantInfo
# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python
request_body = TransferPostRequestBody(
	transfer_target = InvitationParticipantInfo(
		identity = IdentitySet(
			odata_type = "#microsoft.graph.identitySet",
			user = Identity(
				odata_type = "#microsoft.graph.identity",
				display_name = "Heidi Steen",
				id = "8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60",
			),
		),
		additional_data = {
			"endpointType" : "default",
		},
	),
	additional_data = {
		"clientContext" : "d45324c1-fcb5-430a-902c-f20af696537c",
	},
)

await graph_client.communications.calls.by_call_id('57dab8b1-894c-409a-b240-bd8beae78896').transfer.post(request_body)
