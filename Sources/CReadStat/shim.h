#ifndef MONITOR_CREADSTAT_SHIM_H
#define MONITOR_CREADSTAT_SHIM_H
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <readstat.h>
#endif
