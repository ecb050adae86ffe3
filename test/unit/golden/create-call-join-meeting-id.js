const options = {
	authProvider,
};

const client = Client.init(options);

const call = {
  '@odata.type': '#microsoft.graph.call',
  callbackUri: 'https://bot.contoso.com/callback',
  requestedModalities: [
    'audio'
  ],
  mediaConfig: {
    '@odata.type': '#microsoft.graph.serviceHostedMediaConfig'
  },
  meetingInfo: {
    '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
    joinMeetingId: '1234567',
    passcode: null
  },
  tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a'
};

await client.api('/communications/calls')
	.post(call);
