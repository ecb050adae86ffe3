// Code snippets are only available for the latest version. Current version is 5.x

// Dependencies
using Microsoft.Graph.Communications.Calls.Item.Answer;
using Microsoft.Graph.Models;

var requestBody = new AnswerPostRequestBody
{
	CallbackUri = "https://bot.contoso.com/callback",
	MediaConfig = new ServiceHostedMediaConfig
	{
		OdataType = "#microsoft.graph.serviceHostedMediaConfig",
	},
	AcceptedModalities = new List<Modality?>
	{
		Modality.Audio,
	},
};

// To initialize your graphClient, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=csharp
await graphClient.Communications.Calls["57dab8b1-894c-409a-b240-bd8beae78896"].Answer.PostAsync(requestBody);
