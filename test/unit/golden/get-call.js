const options = {
	authProvider,
};

const client = Client.init(options);

let call = await client.api('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896')
	.get();
