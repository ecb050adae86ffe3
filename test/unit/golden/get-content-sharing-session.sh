curl -X GET 'https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/contentSharingSessions/6b1e6b79-3a8b-4a2d-8d0b-9b4c2f6e1d11' \
  -H "Authorization: Bearer $ACCESS_TOKEN"
