const options = {
	authProvider,
};

const client = Client.init(options);

await client.api('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants/a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b')
	.delete();
