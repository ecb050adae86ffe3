# Code snippets are only available for the latest version. Current version is 1.x
from msgraph import GraphServiceClient
# To initialize your graph_client, see https://learn.microsoft.com/en-us/graph/sdks/create-client?from=snippets&tabs=python
result = await graph_client.communications.calls.by_call_id('57dab8b1-894c-409a-b240-bd8beae78896').content_sharing_sessions.by_content_sharing_session_id('6b1e6b79-3a8b-4a2d-8d0b-9b4c2f6e1d11').get()
