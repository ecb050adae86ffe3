// Code snippets are only available for the latest version. Current version is 5.x

// Dependencies
using Microsoft.Graph.Communications.Calls.Item.CancelMediaProcessing;
using Microsoft.Graph.Models;

var requestBody = new CancelMediaProcessingPostRequestBody
{
	ClientContext = "d45324c1-fcb5-430a-902c-f20af696537c",
};

// To initialize your graphClient, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=csharp
var result = await graphClient.Communications.Calls["57dab8b1-894c-409a-b240-bd8beae78896"].CancelMediaProcessing.PostAsync(requestBody);
