package dev.lockstep.spring;

import dev.lockstep.core.Coordinator;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportAware;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/** The beans {@link EnableLockstep} adds: the advisor and the startup check of annotated methods. */
@Configuration(proxyBeanMethods = false)
@Role(BeanDefinition.ROLE_INFRASTRUCTURE)
class LockstepConfiguration implements ImportAware, EnvironmentAware {

    /** The property that, when set, orders the advice instead of {@link EnableLockstep#order()}. */
    static final String ORDER_PROPERTY = "lockstep.annotation.order";

    private int order = ExclusiveRunAdvisor.DEFAULT_ORDER;
    private Integer orderProperty;

    @Override
    public void setImportMetadata(AnnotationMetadata importingClass) {
        Map<String, Object> attributes = importingClass.getAnnotationAttributes(EnableLockstep.class.getName());
        if (attributes != null) {
            order = (Integer) attributes.get("order");
        }
    }

    @Override
    public void setEnvironment(Environment environment) {
        orderProperty = environment.getProperty(ORDER_PROPERTY, Integer.class);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    ExclusiveRunAdvisor exclusiveRunAdvisor(ObjectProvider<LockstepTemplate> templates, ObjectProvider<Coordinator> coordinators) {
        ExclusiveRunAdvisor advisor = new ExclusiveRunAdvisor(() -> templates.getIfAvailable(() -> {
            Coordinator coordinator = coordinators.getIfAvailable();
            if (coordinator == null) {
                throw new IllegalStateException("@ExclusiveRun needs a LockstepTemplate or a Coordinator bean; declare "
                        + "LockstepTemplate.of(dataSource, Coordinator.Options.of(strategy)) as a @Bean");
            }
            return new LockstepTemplate(coordinator, LockstepTemplate.defaultOwner());
        }));
        advisor.setOrder(orderProperty != null ? orderProperty : order);
        return advisor;
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static BeanPostProcessor exclusiveRunMethodCheck(ConfigurableListableBeanFactory beanFactory) {
        return new ExclusiveRunMethodCheck(beanFactory);
    }
}
