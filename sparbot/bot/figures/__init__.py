"""`/spar tal`: the results figures, for admins, in their DM."""
