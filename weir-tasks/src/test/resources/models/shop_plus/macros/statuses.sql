{% macro shipped_statuses() %}
    {{ return(['shipped', 'delivered']) }}
{% endmacro %}

{% macro in_list(values) -%}
    ({% for v in values %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor %})
{%- endmacro %}
