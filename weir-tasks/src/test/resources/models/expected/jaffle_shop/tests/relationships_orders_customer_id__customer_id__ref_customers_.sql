-- relationships: the values of customer_id that "main"."customers".customer_id does not have
select child.customer_id as from_field
from "main"."orders" as child
left join "main"."customers" as parent
    on child.customer_id = parent.customer_id
where child.customer_id is not null
  and parent.customer_id is null
