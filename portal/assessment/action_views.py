"""Actions on the monthly assessment: review, publish, object, rule, close."""
