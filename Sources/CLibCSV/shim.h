#ifndef MONITOR_CLIBCSV_SHIM_H
#define MONITOR_CLIBCSV_SHIM_H
#include <csv.h>
#endif
