Model status
Time limit reached

# Primal solution values
Feasible
Objective 0
# Columns 2
a1 0
a2 1
# Rows 0
