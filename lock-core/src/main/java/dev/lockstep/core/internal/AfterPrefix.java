package dev.lockstep.core.internal;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;

/**
 * A prepared statement of two, {@code <prefix>; <statement>}, that behaves as the second alone: each
 * execute runs both in one round trip and moves past the prefix's result, so {@code executeUpdate},
 * {@code executeQuery}, {@code getResultSet} and {@code getUpdateCount} answer for the statement. The
 * prefix binds no values, so the statement's parameters keep their positions.
 */
final class AfterPrefix {

    private AfterPrefix() {}

    static PreparedStatement of(PreparedStatement both) {
        return (PreparedStatement) Proxy.newProxyInstance(AfterPrefix.class.getClassLoader(), new Class<?>[] {PreparedStatement.class},
                (self, method, args) -> {
                    if (args == null || args.length == 0) {
                        switch (method.getName()) {
                            case "execute":
                                both.execute();
                                return both.getMoreResults();
                            case "executeQuery":
                                both.execute();
                                both.getMoreResults();
                                return both.getResultSet();
                            case "executeUpdate":
                                both.execute();
                                both.getMoreResults();
                                return both.getUpdateCount();
                            case "executeLargeUpdate":
                                both.execute();
                                both.getMoreResults();
                                return both.getLargeUpdateCount();
                            default:
                                break;
                        }
                    }
                    return invoke(method, both, args);
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
