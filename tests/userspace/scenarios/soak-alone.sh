# make soak's first half (not in make check): 500 000 abi-fuzz operations
# from one thread, in the KASAN + lockdep KUnit VM (soak-lib.sh).
. /scenarios/soak-lib.sh
soak_half "one thread" -n $SOAK_OPS -t 0
