curl -X DELETE 'https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants/a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b' \
  -H "Authorization: Bearer $ACCESS_TOKEN"
