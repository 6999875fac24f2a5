set -e
export BANLI_DATA_DIR=${BANLI_DATA_DIR:-./data}
B=${B:-http://localhost:${PORT:-3000}/api/v1}   # the service npm start started (on PORT, if given)
OFFICE=$(npm run -s token -- --sub clerk-1 --name 办事员 --roles office,admin)
EDU=$(npm run -s token -- --sub zhang --unit cq-edu --roles handler)
HEALTH=$(npm run -s token -- --sub li --unit cq-health --roles handler)
SIGNER=$(npm run -s token -- --sub director --unit cq-edu --roles signer)
TAN=$(npm run -s token -- --sub dep-tan --roles proposer)
json() { curl -sf -H 'content-type: application/json' "$@"; echo; }

# The units taking part
json -X PUT $B/units/cq-edu -H "authorization: Bearer $OFFICE" -d '{"name":"市教委"}'
json -X PUT $B/units/cq-health -H "authorization: Bearer $OFFICE" -d '{"name":"市卫生健康委"}'

# The office registers a deputy's suggestion, accepts it and assigns it
ID=$(curl -sf -H 'content-type: application/json' -H "authorization: Bearer $OFFICE" $B/proposals \
  -d '{"number":"0026","session":"六届三次","kind":"npc-suggestion","title":"关于加强未成年人心理健康的建议","body":"建议……","proposers":[{"id":"dep-tan","name":"谭理","lead":true}]}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
json -X POST $B/proposals/$ID/registration -H "authorization: Bearer $OFFICE" -d '{"decision":"accepted"}'
json -X POST $B/proposals/$ID/assignment -H "authorization: Bearer $OFFICE" \
  -d '{"mode":"lead-with-co","leadUnits":["cq-edu"],"coUnits":["cq-health"],"ruleSet":"cq-npc-2017"}'

# The units sign for it, talk to the deputy, send the co-opinion, and reply
json -X POST $B/proposals/$ID/acknowledgements -H "authorization: Bearer $EDU" -d '{}'
json -X POST $B/proposals/$ID/contacts -H "authorization: Bearer $EDU" -d '{"stage":"before","channel":"visit","summary":"登门听取意见"}'
json -X PUT $B/proposals/$ID/co-opinions/cq-health -H "authorization: Bearer $HEALTH" -d '{"content":"加强精神卫生专业支持"}'
json -X PUT $B/proposals/$ID/replies/cq-edu -H "authorization: Bearer $EDU" \
  -d '{"documentNumber":"渝教议函〔2025〕49号","resultClass":"B","body":"现将办理情况答复如下……","contactPerson":"张老师","contactPhone":"023-63862000","disclose":true,"commitments":[{"description":"年内建成心理辅导站20个","dueDate":"2026-12-31"}]}'
json -X POST $B/proposals/$ID/replies/cq-edu/signature -H "authorization: Bearer $SIGNER" -d '{}'
json -X POST $B/proposals/$ID/replies/cq-edu/dispatch -H "authorization: Bearer $EDU" -d '{}'

# The deputy rates it; the office closes it and publishes the reply
json -X POST $B/proposals/$ID/evaluations -H "authorization: Bearer $TAN" -d '{"satisfaction":"satisfied"}'
json -X POST $B/proposals/$ID/closure -H "authorization: Bearer $OFFICE" -d '{}'
json -X POST $B/proposals/$ID/replies/cq-edu/publication -H "authorization: Bearer $OFFICE" -d '{}'

# Read it back: the item, its history, the deadlines, the figures, the public page
curl -sf $B/proposals/$ID -H "authorization: Bearer $OFFICE" | python3 -m json.tool | head -20
curl -sf $B/proposals/$ID/history -H "authorization: Bearer $OFFICE" | python3 -c 'import json,sys; [print(e["revision"], e["type"], e["hash"][:12]) for e in json.load(sys.stdin)]'
curl -sf "$B/supervision/deadlines?unit=cq-edu" -H "authorization: Bearer $OFFICE" | python3 -m json.tool | head -12
curl -sf "$B/stats" -H "authorization: Bearer $OFFICE"; echo
curl -sf "$B/public/replies"; echo
