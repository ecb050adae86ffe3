// Code snippets are only available for the latest version. Current version is 5.x

// Dependencies
using Microsoft.Graph.Communications.Calls.Item.Transfer;
using Microsoft.Graph.Models;

var requestBody = new TransferPostRequestBody
{
	TransferTarget = new InvitationParticipantInfo
	{
		Identity = new IdentitySet
		{
			OdataType = "#microsoft.graph.identitySet",
			User = new Identity
			{
				OdataType = "#microsoft.graph.identity",
				DisplayName = "Heidi Steen",
				Id = "8d1e6ab2-4e3c-4b2a-9a3f-1c2b3d4e5f60",
			},
		},
		AdditionalData = new Dictionary<string, object>
		{
			{
				"endpointType" , "default"
			},
		},
	},
	AdditionalData = new Dictionary<string, object>
	{
		{
			"clientContext" , "d45324c1-fcb5-430a-902c-f20af696537c"
		},
	},
};

// To initialize your graphClient, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=csharp
await graphClient.Communications.Calls["57dab8b1-894c-409a-b240-bd8beae78896"].Transfer.PostAsync(requestBody);
