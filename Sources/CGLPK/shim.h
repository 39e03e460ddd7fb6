#ifndef TAKT_CGLPK_SHIM_H
#define TAKT_CGLPK_SHIM_H
// GLPK's C API, used only by Sources/TaktPlanning/Capacity/GLPKProblem.swift.
#include <glpk.h>
#endif
