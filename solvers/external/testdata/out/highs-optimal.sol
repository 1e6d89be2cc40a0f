Model status
Optimal

# Primal solution values
Feasible
Objective 0
# Columns 4
a1 1
zmax 28
a2 0
a3 0.9999999
# Rows 2
max_11 20
max_12 42

# Dual solution values
None

# Basis
HiGHS v1
None
