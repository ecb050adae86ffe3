const options = {
	authProvider,
};

const client = Client.init(options);

let commsOperation = await client.api('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5')
	.get();
