package dev.pounce.api;

/**
 * Which worker serves a scope.
 *
 * @param id         the worker's slot, 0 to workers-1; a restarted worker keeps its slot
 * @param generation how many times the slot was (re)started or reloaded, from 0
 */
public record WorkerIdentity(int id, int generation) {
}
