curl -X GET 'https://graph.microsoft.com/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants' \
  -H "Authorization: Bearer $ACCESS_TOKEN"
