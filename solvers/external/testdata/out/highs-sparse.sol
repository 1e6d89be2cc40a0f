Model status
Optimal

# Primal solution values
Feasible
Objective 0
# Columns -2
a1 1 0
zmax 28 1
