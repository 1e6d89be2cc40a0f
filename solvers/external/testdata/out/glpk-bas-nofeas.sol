c Problem:    
c Rows:       2
c Columns:    2
c Non-zeros:  4
c Status:     INFEASIBLE (FINAL)
c Objective:  obj = 0 (MINimum)
c
s bas 2 2 n f 0
i 1 b 1 0
i 2 u 1 0
j 1 b 1 0
j 2 l 0 0
e o f
