Grailbird.data.tweets_2013_02 = 
<html><body>Something went wrong</body></html>