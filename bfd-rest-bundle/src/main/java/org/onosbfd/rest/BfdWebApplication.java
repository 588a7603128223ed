package org.onosbfd.rest;

import java.util.Set;
import javax.ws.rs.core.Application;

/** The REST API at /onos/bfd (JAX-RS 2.1 on Jersey, as ONOS apps ship REST). */
public class BfdWebApplication extends Application {
    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(SessionsResource.class, KeysResource.class, StatsResource.class,
                EventsResource.class, OpenApiResource.class, UnauthorizedPage.class,
                ErrorMapper.class, UnexpectedErrorMapper.class, ChangeGuard.class);
    }
}
