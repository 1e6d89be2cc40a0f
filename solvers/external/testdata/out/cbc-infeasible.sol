Infeasible - objective value 0.00000000
      0 a1                     1                      -1
      1 a2                     1                      -1
