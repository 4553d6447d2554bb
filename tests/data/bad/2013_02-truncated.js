Grailbird.data.tweets_2013_02 = 
[ {
  "id_str" : "1",
  "text" : "first &amp; last",
  "created_at" : "2013-02-25 18:04:10 +0000"
}, {
  "id_str" : "2",
  "te