Optimal - objective value 0.00000000
      0 a1                       1                       0
      1 zmax                    28                       0
      2 a2                       0                       0
      3 a3                       0                       0
      4 a4                       0                       0
      5 a5                       0                       0
      6 a6                       1                       0
      7 a7                       0                       0
      8 a8                       1                       0
      9 a9                       1                       0
     10 a10                      0                       0
