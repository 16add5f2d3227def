package dev.lockstep.spring.boot;

import dev.lockstep.core.CoordinatorListener;
import dev.lockstep.core.OperationEvent;
import java.util.List;

/** Every listener bean hears every operation, even when one of them throws. */
final class Listeners implements CoordinatorListener {

    private final List<CoordinatorListener> listeners;

    private Listeners(List<CoordinatorListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static CoordinatorListener of(List<CoordinatorListener> listeners) {
        return listeners.size() == 1 ? listeners.get(0) : new Listeners(listeners);
    }

    @Override
    public void operationEnded(OperationEvent event) {
        RuntimeException first = null;
        for (CoordinatorListener listener : listeners) {
            try {
                listener.operationEnded(event);
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
