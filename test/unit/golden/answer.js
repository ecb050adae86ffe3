const options = {
	authProvider,
};

const client = Client.init(options);

const answer = {
  callbackUri: 'https://bot.contoso.com/callback',
  mediaConfig: {
    '@odata.type': '#microsoft.graph.serviceHostedMediaConfig'
  },
  acceptedModalities: [
    'audio'
  ]
};

await client.api('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/answer')
	.post(answer);
