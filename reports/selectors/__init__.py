"""Every read of the reports app, by topic: the totaaloverzicht, the comparisons, the year page
and the committee bundles."""
