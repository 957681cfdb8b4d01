collect_ignore = ["fixtures"]  # learners' files for `purenet check`, not tests
