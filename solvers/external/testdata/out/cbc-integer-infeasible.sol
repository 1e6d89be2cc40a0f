Integer infeasible - objective value 0.00000000
      0 a1             0.088235294                       0
      1 zmax                    28                       0
      2 a2              0.58823529                       0
      3 a3                       0                       0
      4 a4              0.58823529                       0
      5 a5              0.17647059                       0
      6 a6                       0                       0
      7 a7                       0                       0
      8 a8                     0.5                       0
      9 a9                       0                       0
     10 a10                      0                       0
