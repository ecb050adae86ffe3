const options = {
	authProvider,
};

const client = Client.init(options);

const addLargeGalleryView = {
  clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c'
};

await client.api('/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/addLargeGalleryView')
	.post(addLargeGalleryView);
