"""`make bench`: scale data, floors (F_dj, nginx) and wrk runs in one go."""
