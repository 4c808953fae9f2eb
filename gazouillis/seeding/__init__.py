"""Building blocks of ``gazouillis seed bench``: vocabulary, post texts, the generated world, bulk loading.

The benchmark data set is far too large to go through the domain services one post at a time, so it is
generated in memory and written straight into the tables, with every derived value (counters, rendered
HTML, mentions, hashtags) computed the way the services would have computed it.
"""
