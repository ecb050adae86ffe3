curl -X POST 'https://graph.microsoft.com/beta/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/participants/muteAll' \
  -H "Authorization: Bearer $ACCESS_TOKEN" \
  -H 'Content-Type: application/json' \
  --data-raw '{
  "participants": [
    "a7ebfb2d-c1f2-4d4a-9f2e-2a7e6d1f5c3b"
  ],
  "clientContext": "d45324c1-fcb5-430a-902c-f20af696537c"
}'
