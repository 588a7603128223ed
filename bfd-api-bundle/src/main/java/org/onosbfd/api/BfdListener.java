package org.onosbfd.api;

/**
 * Told of session events. Called on the service's event thread, in order, one event at a time;
 * a listener must return quickly and must not block (the protocol keeps running meanwhile).
 */
@FunctionalInterface
public interface BfdListener {
    void event(BfdEvent event);
}
