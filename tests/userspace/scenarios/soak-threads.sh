# make soak's second half (not in make check): 500 000 abi-fuzz operations
# from 4 threads sharing stream, metadata and control fds, in the KASAN +
# lockdep KUnit VM (soak-lib.sh).
. /scenarios/soak-lib.sh
soak_half "4 threads" -n 0 -t 4 -T $SOAK_OPS
